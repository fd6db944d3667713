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


# The second stage (steps: -var stage=two) renames and retags the gateway and
# the EIP, renames the SNAT entries and moves the DNAT entry's external port.
variable "stage" {
  type    = string
  default = "one"
}

locals {
  two = var.stage == "two"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc-nat"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "a" {
  vswitch_name = "tf-vsw-a"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_vswitch" "b" {
  vswitch_name = "tf-vsw-b"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.2.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_instance" "web" {
  instance_name        = "tf-web"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.a.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

resource "alicloud_nat_gateway" "main" {
  vpc_id           = alicloud_vpc.main.id
  nat_gateway_name = "tf-nat-${var.stage}"
  description      = "enhanced NAT gateway, stage ${var.stage}"
  nat_type         = "Enhanced"
  vswitch_id       = alicloud_vswitch.a.id
  payment_type     = "PayAsYouGo"
  tags = {
    Environment = "test"
    Module      = "nat"
    Stage       = var.stage
  }
}

resource "alicloud_eip_address" "nat" {
  address_name         = "tf-eip-nat-${var.stage}"
  bandwidth            = "10"
  internet_charge_type = "PayByTraffic"
  payment_type         = "PayAsYouGo"
  tags = {
    Environment = "test"
    Module      = "nat"
    Stage       = var.stage
  }
}

resource "alicloud_eip_association" "nat" {
  allocation_id = alicloud_eip_address.nat.id
  instance_id   = alicloud_nat_gateway.main.id
  instance_type = "Nat"
}

resource "alicloud_snat_entry" "a" {
  snat_table_id     = alicloud_nat_gateway.main.snat_table_ids
  source_vswitch_id = alicloud_vswitch.a.id
  snat_ip           = alicloud_eip_address.nat.ip_address
  snat_entry_name   = "tf-snat-a-${var.stage}"
  depends_on        = [alicloud_eip_association.nat]
}

resource "alicloud_snat_entry" "b" {
  snat_table_id     = alicloud_nat_gateway.main.snat_table_ids
  source_vswitch_id = alicloud_vswitch.b.id
  snat_ip           = alicloud_eip_address.nat.ip_address
  snat_entry_name   = "tf-snat-b-${var.stage}"
  depends_on        = [alicloud_eip_association.nat]
}

resource "alicloud_forward_entry" "ssh" {
  forward_table_id   = alicloud_nat_gateway.main.forward_table_ids
  external_ip        = alicloud_eip_address.nat.ip_address
  external_port      = local.two ? "2223" : "2222"
  ip_protocol        = "tcp"
  internal_ip        = alicloud_instance.web.private_ip
  internal_port      = "22"
  forward_entry_name = "tf-dnat-ssh-${var.stage}"
  depends_on         = [alicloud_eip_association.nat]
}
