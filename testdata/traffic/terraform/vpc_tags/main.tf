terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
  }
}


# The stage's tags: "test", then "staging" (steps), which retags every resource.
variable "env" {
  type    = string
  default = "test"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc-tags"
  cidr_block = "172.16.0.0/12"
  tags = {
    Environment = var.env
    Module      = "vpc"
  }
}

resource "alicloud_vswitch" "a" {
  vswitch_name = "tf-vsw-a"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
  tags = {
    Environment = var.env
    Tier        = "app"
  }
}

resource "alicloud_vswitch" "b" {
  vswitch_name = "tf-vsw-b"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.2.0/24"
  zone_id      = "cn-hangzhou-i"
  tags = {
    Environment = var.env
    Tier        = "db"
  }
}

resource "alicloud_route_table" "custom" {
  vpc_id           = alicloud_vpc.main.id
  route_table_name = "tf-rt-custom"
  description      = "custom route table (${var.env})"
  associate_type   = "VSwitch"
  tags = {
    Environment = var.env
  }
}

resource "alicloud_route_table_attachment" "b" {
  vswitch_id     = alicloud_vswitch.b.id
  route_table_id = alicloud_route_table.custom.id
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_instance" "router" {
  instance_name        = "tf-router"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.a.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

resource "alicloud_route_entry" "custom" {
  route_table_id        = alicloud_route_table.custom.id
  destination_cidrblock = "10.20.0.0/16"
  nexthop_type          = "Instance"
  nexthop_id            = alicloud_instance.router.id
  name                  = "tf-to-router"
}
