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

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_ecs_launch_template" "main" {
  launch_template_name = "tf-template"
  description          = "web servers"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  instance_name        = "tf-from-template"
  security_group_id    = alicloud_security_group.main.id
  vswitch_id           = alicloud_vswitch.main.id
  zone_id              = "cn-hangzhou-h"
  instance_charge_type = "PostPaid"
  tags = {
    env = "tf"
  }
  template_tags = {
    team = "web"
  }

  system_disk {
    category = "cloud_essd"
    size     = 40
    name     = "tf-system"
  }
}

# The image, type, network and security group come from the template. The
# instance carries the template's tags (the cloud copies them onto it), so the
# configuration names them too; system_disk_category has a provider default
# (cloud_efficiency) that is always sent and wins over the template's disk, so
# it is given, as the provider's own acceptance test does.
resource "alicloud_instance" "from_template" {
  launch_template_id   = alicloud_ecs_launch_template.main.id
  instance_name        = "tf-from-template"
  system_disk_category = "cloud_essd"
  tags = {
    env = "tf"
  }
}
